// Entry of the renderer: styles, then the React root.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
// Base styles first: feature styles (imported with their components) must come later in the cascade.
import './styles/tokens.css';
import './styles/base.css';
import './styles/app.css';
import { App } from './App';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element.');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
