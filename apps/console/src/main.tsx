// The console's entry point: take the sign-in code out of the URL, then render.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { takeSignInCodeFromUrl } from './auth/storage';
import { RouterProvider } from './router/router';
import { SessionProvider } from './session';
import './styles.css';

takeSignInCodeFromUrl();

const root = document.getElementById('root');
if (!root) throw new Error('no #root element');
createRoot(root).render(
  <StrictMode>
    <RouterProvider>
      <SessionProvider>
        <App />
      </SessionProvider>
    </RouterProvider>
  </StrictMode>,
);
