import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import './global.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { prefetch } from './api/hooks';
import { App } from './app/App';
import { INITIAL_SURVEY_QUERY } from './features/survey/SurveyScreen';

// Browser mode: the token arrives in the URL once and then lives in an HttpOnly cookie, so it is
// removed from the address bar (and from history) as soon as the page is up.
if (new URLSearchParams(location.search).has('token')) history.replaceState(null, '', location.pathname);

prefetch('survey.list', { filter: INITIAL_SURVEY_QUERY.filter, sort: { ...INITIAL_SURVEY_QUERY.sort } });
prefetch('survey.facets', {});
prefetch('app.info', {});

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
