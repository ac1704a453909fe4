// Builds the User Center (src-renderer) into build/renderer, which the server serves at `/`.
// `npm run dev` serves it with hot reload and forwards /api/v1 to a running Latchkey server
// (LATCHKEY_DEV_API, default http://localhost:4680), rewriting Host and Origin to the server's
// own so that its DNS-rebinding and Origin checks accept the forwarded requests.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const apiTarget = process.env.LATCHKEY_DEV_API ?? 'http://localhost:4680';

export default defineConfig({
  root: 'src-renderer',
  base: '/',
  plugins: [react()],
  build: {
    outDir: '../build/renderer',
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2022',
    sourcemap: false,
    // Everything lands in files under /assets: the CSP allows no inline script or style.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
  server: {
    port: 4681,
    strictPort: true,
    proxy: {
      // Not '/api': that prefix would also catch the module /api/latchkey-api.ts (src-renderer/api).
      '/api/v1/': {
        target: apiTarget,
        changeOrigin: true,
        configure(proxy) {
          proxy.on('proxyReq', (request) => {
            if (request.getHeader('origin')) request.setHeader('origin', new URL(apiTarget).origin);
          });
        },
      },
    },
  },
});
