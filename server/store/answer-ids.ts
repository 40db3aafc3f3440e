/** Ids `AnswerIds` keeps at most; then it starts over. */
const keptIds = 4096;

/**
 * The ids of the rows of the answers table that captures used lately, by bin and answer text. Each
 * distinct answer is stored once per bin and requests refer to it; a sender repeats one request,
 * so its captures repeat one answer, whose id is found here without a query (the text is the same
 * string object each time, see recorded-answers.ts, whose hash V8 keeps).
 *
 * An id kept here must not outlive its row: the engine forgets them all whenever it may have
 * deleted answers (a bin deleted, answers no request uses any more) or a transaction that may have
 * created one rolled back.
 */
export class AnswerIds {
  #byBin = new Map<string, Map<string, number>>();
  #kept = 0;

  get(bin: string, text: string): number | undefined {
    return this.#byBin.get(bin)?.get(text);
  }

  set(bin: string, text: string, id: number): void {
    // Kept within bounds: answers whose reasons name each request's path leave an id per request.
    if (this.#kept >= keptIds) this.forget();
    let texts = this.#byBin.get(bin);
    if (!texts) {
      texts = new Map();
      this.#byBin.set(bin, texts);
    }
    texts.set(text, id);
    this.#kept++;
  }

  forget(): void {
    this.#byBin = new Map();
    this.#kept = 0;
  }
}
