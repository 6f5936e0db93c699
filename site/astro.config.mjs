// @ts-check
import { defineConfig } from 'astro/config';
import { renderOrder } from './src/lib/render-order.ts';

/**
 * The public site: static output only. Everything a page needs is an external file, so it runs under the
 * strict CSP (no inline script, no inline style): stylesheets are never inlined and Vite inlines no asset
 * (scripts and fonts stay files; a `data:` font would also break `font-src 'self'`).
 * The build script (scripts/build.ts) sets SITE_DATA_DIR, SITE_OUT_DIR and SITE_ORIGIN.
 */
const origin = (process.env.SITE_ORIGIN ?? 'http://127.0.0.1:8080').replace(/\/+$/, '');

export default defineConfig({
  site: origin,
  outDir: process.env.SITE_OUT_DIR ?? './dist',
  cacheDir: process.env.SITE_CACHE_DIR ?? './.astro/cache',
  trailingSlash: 'ignore',
  compressHTML: true,
  build: { format: 'directory', inlineStylesheets: 'never' },
  vite: {
    cacheDir: `${process.env.SITE_CACHE_DIR ?? './.astro/cache'}/vite`,
    // SITE_LINKED: the build script linked the last build's unchanged pages into the output folder (scripts/build.ts,
    // `previous`): Astro keeps them instead of emptying the folder and copying each one back from its cache.
    build: { assetsInlineLimit: 0, ...(process.env.SITE_LINKED === '1' ? { emptyOutDir: false } : {}) },
  },
  i18n: {
    locales: ['vi', 'en'],
    defaultLocale: 'vi',
    routing: { prefixDefaultLocale: false },
  },
  devToolbar: { enabled: false },
  prefetch: false,
  // Pages whose cacheKey (src/lib/dependencies.ts: the data they read) and code are unchanged are restored from
  // the cache directory instead of rendered again: a change re-renders only the pages it affects.
  experimental: { incrementalBuild: true },
  integrations: [
    {
      // Each unit's pages render together, children before parents, rankings last (src/lib/render-order.ts says why).
      name: 'cong-vu-minh-bach:render-order',
      hooks: {
        'astro:build:start': ({ setPrerenderer }) => {
          setPrerenderer((prerenderer) => ({
            ...prerenderer,
            getStaticPaths: async () => renderOrder(await prerenderer.getStaticPaths()),
          }));
        },
      },
    },
  ],
});
