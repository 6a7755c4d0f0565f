/// <reference types="vitest/config" />
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

// The portal is served at / by the local run and by CloudFront; the API shares its origin
// (README "The citizen portal"). `npm run dev` proxies the API to a running `make run`.
export default defineConfig({
  plugins: [vue()],
  build: {
    target: 'es2020',
    chunkSizeWarningLimit: 1200,
    reportCompressedSize: false,
  },
  // `npm test`: the pure modules (rules, the form's state) in Node, no browser needed.
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
  server: {
    proxy: Object.fromEntries(
      ['/auth', '/me', '/positions', '/regions', '/attachments', '/applications', '/verify', '/dev/sso'].map((p) => [
        p,
        { target: process.env.API_ORIGIN ?? 'http://127.0.0.1:3000', changeOrigin: false },
      ]),
    ),
  },
})
