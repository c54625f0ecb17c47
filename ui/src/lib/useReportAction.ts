// The state of a dialog that runs one backend action and shows its report:
// busy while it runs, the error message if it fails, the report if not.
import { useState } from "react";
import { errorMessage } from "../api";

export function useReportAction<R>(run: () => Promise<R>, onDone: (report: R) => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [report, setReport] = useState<R | null>(null);
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await run();
      setReport(r);
      onDone(r);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, report, setReport, submit };
}
