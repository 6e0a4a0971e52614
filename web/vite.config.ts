/// <reference types="vitest/config" />
// The workbench build: Django serves dist/ at /static/web/ (WhiteNoise) and index.html at / on
// every office host. `npm run dev` proxies /graphql/ to the Django server, keeping the office's
// host name, so the session cookie and CSRF token work as on the real origin (docs/web.md).
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const backend = process.env.XINFANG_BACKEND ?? 'http://127.0.0.1:8000';

export default defineConfig(({ command }) => ({
  plugins: [react()],
  // Built files live under Django's STATIC_URL; the dev server serves the app at /.
  base: command === 'build' ? '/static/web/' : '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    manifest: true,
    chunkSizeWarningLimit: 600,
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    proxy: {
      '/graphql/': { target: backend, changeOrigin: false, xfwd: true },
    },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['src/test-setup.ts'],
  },
}));
