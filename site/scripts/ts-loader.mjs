/**
 * What `buildSite` (scripts/build.ts) starts its build process with instead of `--import tsx`: the same TypeScript
 * loader, registered so that the build can lift it while Astro renders. Astro imports a page's module again for
 * every page it renders, and each import goes through the loader's hooks (on a thread of their own, by message):
 * at national scale, some 25 s of CPU for nothing, since what Astro imports then is its own JavaScript.
 */
import { register } from 'tsx/esm/api';

let unregister = register();

globalThis[Symbol.for('cong-vu-minh-bach.site.ts-loader')] = {
  async pause() {
    await unregister();
  },
  resume() {
    unregister = register();
  },
};
