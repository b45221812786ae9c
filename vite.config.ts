/// <reference types="vitest/config" />
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import packageJson from './package.json' with { type: 'json' };

const THEME_COLOUR = '#0f766e';

export default defineConfig({
  plugins: [
    react(),
    VitePWA({
      strategies: 'generateSW',
      // A new version waits until the user taps "Cập nhật": a reload never cuts into a form.
      registerType: 'prompt',
      injectRegister: null,
      includeAssets: ['icons/icon.svg'],
      manifest: {
        name: 'Sổ Khuyến học',
        short_name: 'Khuyến học',
        description: 'Sổ theo dõi xây dựng xã hội học tập: gia đình, dòng họ, công dân, cộng đồng và đơn vị học tập.',
        lang: 'vi',
        dir: 'ltr',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        orientation: 'portrait',
        theme_color: THEME_COLOUR,
        background_color: '#ffffff',
        categories: ['education', 'productivity'],
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          { src: '/icons/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
        ],
      },
      workbox: {
        // The whole shell, its translations and the national commune list are precached,
        // so a cold start with no network works.
        globPatterns: ['**/*.{js,css,html,png,svg,json,woff2}'],
        globIgnores: ['**/node_modules/**', '**/.skh-*'],
        maximumFileSizeToCacheInBytes: 3 * 1024 * 1024,
        navigateFallback: '/index.html',
        // The API is never served from the cache: sync must see the real network state.
        navigateFallbackDenylist: [/^\/api\//],
        cleanupOutdatedCaches: true,
        // First install takes control at once; later versions wait for the user (registerType).
        clientsClaim: true,
      },
    }),
  ],
  define: { __APP_VERSION__: JSON.stringify(packageJson.version) },
  build: { target: 'es2022', sourcemap: false },
  test: {
    globals: true,
    projects: [
      {
        extends: true,
        test: {
          name: 'client',
          environment: 'jsdom',
          include: ['src/client/**/*.test.{ts,tsx}'],
          setupFiles: ['./tests/setup/client-setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: [
            'src/shared/**/*.test.ts',
            'src/domain/**/*.test.ts',
            'src/server/**/*.test.ts',
            'tests/lint/**/*.test.ts',
          ],
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          environment: 'node',
          include: ['tests/integration/**/*.test.{ts,tsx}'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['tests/e2e/**/*.test.ts'],
          testTimeout: 90_000,
          hookTimeout: 90_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
