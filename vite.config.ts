import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';

// The UI lives in web/ and is served by the authbin server from dist/web.
export default defineConfig({
  root: 'web',
  plugins: [preact()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    // No inline scripts or module preload polyfill: the server's CSP forbids inline script.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:8787',
      '/b': 'http://127.0.0.1:8787',
    },
  },
});
