// Builds the console into apps/console/dist (served by the API at /), and in development proxies
// the API's routes to `npm start` so `npx vite apps/console` works against a running platform.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * The auditor's page offers the standalone audit verifier (tools/build/verifier.js): built from the
 * verification code into dist/downloads with every build of the console. The file is served as it is,
 * not precompressed: its bytes are what its published SHA-256 names, and tools/scripts/console-build.js
 * rebuilds it alone when the verification code changes.
 */
const standaloneVerifier = (): Plugin => ({
  name: 'rampart-standalone-verifier',
  apply: 'build',
  // finished before the precompression below walks the folder (closeBundle hooks run in parallel)
  closeBundle: {
    sequential: true,
    async handler() {
      const { buildVerifier } = createRequire(import.meta.url)('../../tools/build/verifier.js');
      await buildVerifier({ outDir: join(import.meta.dirname, 'dist', 'downloads'), packageJson: false });
    },
  },
});

/**
 * Writes a Brotli (.br) and a gzip (.gz) copy beside every text asset of the build, compressed once
 * at their best settings, for the API to send to browsers that accept them (see consoleRoutes).
 */
const precompress = (): Plugin => ({
  name: 'rampart-precompress',
  apply: 'build',
  closeBundle() {
    const walk = (dir: string): string[] => readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? walk(join(dir, name)) : [join(dir, name)]));
    for (const file of walk(join(import.meta.dirname, 'dist'))) {
      if (!/\.(js|css|html|svg|json|txt)$/.test(file) || statSync(file).size < 1_024 || relative(join(import.meta.dirname, 'dist'), file).startsWith('downloads')) continue;
      const body = readFileSync(file);
      writeFileSync(`${file}.br`, brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }));
      writeFileSync(`${file}.gz`, gzipSync(body, { level: 9 }));
    }
  },
});

const api = process.env['RAMPART_API_URL'] ?? 'http://127.0.0.1:4000';

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [react(), standaloneVerifier(), precompress()],
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
      '/evidence': { target: api, changeOrigin: true },
    },
  },
  preview: {
    port: 4173,
  },
});
