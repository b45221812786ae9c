/// <reference types="vitest/config" />
import fs from 'node:fs';
import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, parseAst, type Plugin, type Rolldown } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import packageJson from './package.json' with { type: 'json' };
import { AREAS, PRECACHED_AREAS, type Area } from './src/client/app/areas.ts';

const THEME_COLOUR = '#0f766e';
/** The route table: each lazily loaded screen there names its area (src/client/app/areas.ts). */
const ROUTE_TABLE = path.resolve(import.meta.dirname, 'src/client/app/routes.ts');
const ON_DEMAND_AREAS = AREAS.filter((area) => !PRECACHED_AREAS.includes(area));

type AstNode = { type: string; [key: string]: unknown };
const isNode = (value: unknown): value is AstNode =>
  typeof value === 'object' && value !== null && typeof (value as AstNode).type === 'string';

/** Every `import('…')` in the route table with the area named by the object literal around it. */
function lazyImportsByArea(node: unknown, area?: Area, found: { specifier: string; area?: Area }[] = []) {
  if (Array.isArray(node)) node.forEach((child) => lazyImportsByArea(child, area, found));
  if (!isNode(node)) return found;
  let here = area;
  if (node.type === 'ObjectExpression') {
    for (const property of node.properties as AstNode[]) {
      const key = property.key as AstNode | undefined;
      const value = property.value as AstNode | undefined;
      if (key?.name === 'area' && value?.type === 'Literal') here = value.value as Area;
    }
  }
  if (node.type === 'ImportExpression' && (node.source as AstNode).type === 'Literal')
    found.push({ specifier: (node.source as AstNode).value as string, area: here });
  for (const [key, child] of Object.entries(node)) if (key !== 'type') lazyImportsByArea(child, here, found);
  return found;
}

/**
 * Names every built chunk after its area (`assets/setup-commune-setup-screen-<hash>.js`), so the
 * service worker can precache by name and tests/checks/bundle-budget.mjs can check it. A module's
 * area is the first area (in AREAS order) that reaches it: from the entry (field) or from a screen
 * the route table puts in an area, through static imports and dynamic ones that do not enter a
 * screen of another area. A module shared by the field and an office screen is thus field.
 */
/** In the browser build, every import of Zod gets it configured without eval (src/client/zod-jitless.ts). */
function zodJitless(): Plugin {
  const configured = path.resolve(import.meta.dirname, 'src/client/zod-jitless.ts');
  return {
    name: 'skh-zod-jitless',
    apply: 'build',
    enforce: 'pre',
    resolveId: (source, importer) => (source === 'zod' && importer !== configured ? configured : undefined),
  };
}

function areaChunks(): Plugin {
  const screenArea = new Map<string, Area>();
  const moduleArea = new Map<string, Area>();
  const areaOf = (id: string) => moduleArea.get(id) ?? 'field';
  const chunkName = (chunk: Rolldown.PreRenderedChunk) => {
    const areas = chunk.moduleIds.map(areaOf);
    const area = AREAS.find((candidate) => areas.includes(candidate)) ?? 'field';
    return `assets/${chunk.name.startsWith(`${area}-`) ? '' : `${area}-`}[name]-[hash].js`;
  };
  return {
    name: 'skh-area-chunks',
    apply: 'build',
    config: () => ({
      build: {
        rolldownOptions: {
          output: {
            entryFileNames: 'assets/field-[name]-[hash].js',
            chunkFileNames: chunkName,
            // Few files rather than one per shared module: each costs a request through the
            // service worker, which a slow phone feels more than a few KB of unused code.
            codeSplitting: {
              groups: [
                // What the entry imports statically, in one chunk beside it.
                { name: 'field-start', tags: ['$initial'] },
                // What two or more lazily loaded chunks share, one chunk per area.
                { name: (id: string) => `${areaOf(id)}-shared`, debugName: 'area-shared', minShareCount: 2 },
              ],
            },
          },
        },
      },
    }),
    async buildStart() {
      screenArea.clear();
      moduleArea.clear();
      const table = parseAst(fs.readFileSync(ROUTE_TABLE, 'utf8'), { lang: 'ts' });
      for (const { specifier, area } of lazyImportsByArea(table)) {
        if (!area || !AREAS.includes(area)) this.error(`routes.ts: import('${specifier}') names no known area`);
        const resolved = await this.resolve(specifier, ROUTE_TABLE);
        if (!resolved) this.error(`routes.ts: cannot resolve import('${specifier}')`);
        const other = screenArea.get(resolved.id);
        if (other && other !== area) this.error(`routes.ts: '${specifier}' is in both ${other} and ${area}`);
        screenArea.set(resolved.id, area);
      }
    },
    buildEnd() {
      const ids = [...this.getModuleIds()];
      for (const area of AREAS) {
        const queue =
          area === 'field'
            ? ids.filter((id) => this.getModuleInfo(id)?.isEntry)
            : [...screenArea].filter(([, owner]) => owner === area).map(([id]) => id);
        for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
          if (moduleArea.has(id)) continue;
          moduleArea.set(id, area);
          const info = this.getModuleInfo(id);
          if (!info) continue;
          queue.push(...info.importedIds);
          queue.push(...info.dynamicallyImportedIds.filter((next) => (screenArea.get(next) ?? area) === area));
        }
      }
    },
  };
}

export default defineConfig({
  plugins: [
    react(),
    zodJitless(),
    areaChunks(),
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
        // The shell and the precached areas' code (field, setup: see areas.ts) are stored at
        // install, so a cold start and a first-run setup work with no network.
        globPatterns: ['**/*.{css,html,png,svg,woff2}', ...PRECACHED_AREAS.map((area) => `assets/${area}-*.js`)],
        globIgnores: ['**/node_modules/**', '**/.skh-*', '.vite/**'],
        maximumFileSizeToCacheInBytes: 3 * 1024 * 1024,
        navigateFallback: '/index.html',
        // The API is never served from the cache: sync must see the real network state.
        navigateFallbackDenylist: [/^\/api\//],
        // Office and report screens: fetched when first opened, then served from this cache
        // (their names carry a content hash, so a cached file never goes stale).
        runtimeCaching: [
          {
            urlPattern: new RegExp(`/assets/(?:${ON_DEMAND_AREAS.join('|')})-[^/]+\\.js$`),
            handler: 'CacheFirst',
            options: { cacheName: 'on-demand-areas', expiration: { maxEntries: 200 } },
          },
        ],
        cleanupOutdatedCaches: true,
        // First install takes control at once; later versions wait for the user (registerType).
        clientsClaim: true,
      },
    }),
  ],
  define: { __APP_VERSION__: JSON.stringify(packageJson.version) },
  // The manifest lets tests/checks/bundle-budget.mjs tell start-up chunks from lazy ones.
  build: { target: 'es2022', sourcemap: false, manifest: true },
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
          testTimeout: 30_000,
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
            'tests/checks/**/*.test.ts',
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
