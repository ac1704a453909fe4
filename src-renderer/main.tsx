// The User Center's entry: one API client, one store, one React root.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createLatchkeyApi } from './api/latchkey-api.js';
import { App } from './app/App.js';
import { createAppStore } from './store/app-store.js';
import { StoreProvider } from './store/store-context.js';
import './styles/app.css';

const store = createAppStore(createLatchkeyApi());
const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element.');

createRoot(container).render(
  <StrictMode>
    <StoreProvider store={store}>
      <App />
    </StoreProvider>
  </StrictMode>,
);
void store.getState().session.start();
