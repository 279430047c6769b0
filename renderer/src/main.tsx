import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import './global.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';

// Browser mode: the token arrives in the URL once and then lives in an HttpOnly cookie, so it is
// removed from the address bar (and from history) as soon as the page is up.
if (new URLSearchParams(location.search).has('token')) history.replaceState(null, '', location.pathname);

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
