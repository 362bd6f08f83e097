// Builds the console into apps/console/dist (served by the API at /), and in development proxies
// the API's routes to `npm start` so `npx vite apps/console` works against a running platform.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const api = process.env['RAMPART_API_URL'] ?? 'http://127.0.0.1:4000';

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1024,
  },
  server: {
    port: 5173,
    proxy: {
      '/graphql': { target: api, ws: true, changeOrigin: true },
      '/auth': { target: api, changeOrigin: true },
      '/console': { target: api, changeOrigin: true },
      '/audit-exports': { target: api, changeOrigin: true },
    },
  },
  preview: {
    port: 4173,
  },
});
