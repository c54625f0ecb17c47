import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { installMockBackendIfNeeded } from "./api";
import { App } from "./App";
import { ErrorBoundary } from "./components/ErrorBoundary";
import { ToastProvider } from "./components/Toasts";
import "./styles.css";

async function start() {
  await installMockBackendIfNeeded();
  const root = document.getElementById("root");
  if (!root) throw new Error("#root missing");
  createRoot(root).render(
    <StrictMode>
      <ErrorBoundary>
        <ToastProvider>
          <App />
        </ToastProvider>
      </ErrorBoundary>
    </StrictMode>,
  );
}

void start();
