import { Dialog } from "./Dialog";

const mod = typeof navigator !== "undefined" && /Mac/i.test(navigator.platform) ? "⌘" : "Ctrl";

const ROWS: [string[], string][] = [
  [[mod, "K"], "Search everything"],
  [[mod, "N"], "New ADR"],
  [[mod, "S"], "Save now"],
  [[mod, "Z"], "Undo"],
  [[mod, "Shift", "Z"], "Redo (also " + mod + "+Y)"],
  [["Esc"], "Close dialog"],
  [["?"], "Show this help"],
];

export function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  return (
    <Dialog label="Keyboard shortcuts" title="Keyboard shortcuts" onClose={onClose} width="sm">
      <table className="shortcuts">
        <tbody>
          {ROWS.map(([keys, what]) => (
            <tr key={what}>
              <td>{keys.map((k) => <kbd key={k}>{k}</kbd>)}</td>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Dialog>
  );
}
