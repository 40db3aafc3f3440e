import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

interface ModalProps {
  title: string;
  /** The title's element id, which labels the dialog. */
  titleId: string;
  onClose: () => void;
  /** Extra class for sizing, e.g. "modal-wide". */
  class?: string;
  children: ComponentChildren;
}

/** A modal dialog (focus kept inside, Escape closes) with its title and a Close button. */
export function Modal({ title, titleId, onClose, class: className = '', children }: ModalProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const el = dialog.current;
    if (el && !el.open) el.showModal();
    return () => el?.close();
  }, []);
  return (
    <dialog class={`modal card ${className}`} ref={dialog} aria-labelledby={titleId} onClose={onClose}>
      <div class="modal-head">
        <h2 id={titleId}>{title}</h2>
        <button type="button" class="btn btn-small" onClick={onClose}>
          Close
        </button>
      </div>
      {children}
    </dialog>
  );
}
