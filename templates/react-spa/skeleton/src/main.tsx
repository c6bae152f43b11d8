import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { fetchItems } from './api';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App loadItems={fetchItems} />
  </StrictMode>,
);
