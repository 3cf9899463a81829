import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Dashboard } from './Dashboard.js';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root');

// StrictMode mounts, unmounts and mounts again in development: useLiveState still opens exactly
// one connection (test/react/strict-mode.test.ts in the repository checks it).
createRoot(container).render(
  <StrictMode>
    <Dashboard url="/live" />
  </StrictMode>,
);
