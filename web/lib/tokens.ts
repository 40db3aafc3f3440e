/** One coloured piece of a pretty-printed body; `kind` becomes a CSS class (`tok-<kind>`), text is shown as text. */
export interface Token {
  kind: 'plain' | 'punct' | 'key' | 'string' | 'number' | 'literal' | 'tag' | 'attr' | 'value' | 'comment' | 'meta';
  text: string;
}
