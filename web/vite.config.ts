// Builds the app into dist/ for `kompo serve --web-root web/dist`. In development
// (`npm run dev`) the API, the live events and the Elm editor page are proxied to a local
// `kompo serve` (KOMPO_URL, default http://127.0.0.1:8080).
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

const server = process.env.KOMPO_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
  server: {
    proxy: {
      '/api': { target: server, changeOrigin: false, ws: true },
      '/elm-editor': { target: server },
      '/heap': { target: server },
      '/kvaern': { target: server },
    },
  },
  test: { include: ['tests/**/*.test.ts'], environment: 'node' },
});
