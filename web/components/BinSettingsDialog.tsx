import type { Bin, BinResponse } from '../../shared/api.ts';
import { BinResponseForm } from './BinResponseForm.tsx';
import { ForwardForm } from './ForwardForm.tsx';
import { Modal } from './Modal.tsx';
import './BinSettingsDialog.css';

interface BinSettingsDialogProps {
  bin: Bin | null;
  onSaveResponse: (response: BinResponse | null) => Promise<void>;
  onSaveForward: (forwardTo: string | null) => Promise<void>;
  onClose: () => void;
}

/** A bin's settings: what it answers, and where it forwards what it captures. */
export function BinSettingsDialog({ bin, onSaveResponse, onSaveForward, onClose }: BinSettingsDialogProps) {
  return (
    <Modal title="Bin settings" titleId="settings-title" onClose={onClose}>
      <BinResponseForm response={bin?.response ?? null} onSave={onSaveResponse} />
      <ForwardForm forwardTo={bin?.forwardTo ?? null} onSave={onSaveForward} />
    </Modal>
  );
}
