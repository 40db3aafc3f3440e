import type { Bin, BinResponse } from '../../shared/api.ts';
import { BinResponseForm } from './BinResponseForm.tsx';
import { ForwardForm } from './ForwardForm.tsx';
import { Modal } from './Modal.tsx';
import { RulesEditor } from './RulesEditor.tsx';
import './BinSettingsDialog.css';

interface BinSettingsDialogProps {
  binId: string;
  bin: Bin | null;
  onSaveResponse: (response: BinResponse | null) => Promise<void>;
  onSaveForward: (forwardTo: string | null) => Promise<void>;
  onClose: () => void;
}

/** A bin's settings: what it answers (by default and by rule), and where it forwards what it captures. */
export function BinSettingsDialog({ binId, bin, onSaveResponse, onSaveForward, onClose }: BinSettingsDialogProps) {
  return (
    <Modal title="Bin settings" titleId="settings-title" onClose={onClose}>
      <BinResponseForm response={bin?.response ?? null} onSave={onSaveResponse} />
      <RulesEditor binId={binId} />
      <ForwardForm forwardTo={bin?.forwardTo ?? null} onSave={onSaveForward} />
    </Modal>
  );
}
