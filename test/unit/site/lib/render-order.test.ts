import { describe, expect, it } from 'vitest';
import { type RenderGroup, type RenderPath, renderOrder } from '../../../../site/src/lib/render-order.js';

/** Routes as Astro's manifest describes them (pattern with `trailingSlash: 'ignore'`). */
const route = (pattern: string, regex: RegExp) => ({ route: pattern, pattern: regex });
const home = route('/', /^\/$/);
const viUnit = route('/don-vi/[id]', /^\/don-vi\/([^/]+?)\/?$/);
const viFeed = route('/don-vi/[id]/feed.xml', /^\/don-vi\/([^/]+?)\/feed\.xml\/?$/);
const enUnit = route('/en/units/[id]', /^\/en\/units\/([^/]+?)\/?$/);
const ranking = route('/xep-hang/[group]', /^\/xep-hang\/([^/]+?)\/?$/);
const conclusion = route('/ket-luan/[id]', /^\/ket-luan\/([^/]+?)\/?$/);

const groups = new Map<string, RenderGroup>([
  [viUnit.route, 'unit'],
  [viFeed.route, 'unit'],
  [enUnit.route, 'unit'],
  [ranking.route, 'ranking'],
]);

const path = (pathname: string, r: RenderPath['route']): RenderPath => ({ pathname, route: r });

describe('render order', () => {
  it("renders each unit's pages together, in the order of its first page, the rankings last", () => {
    // Prepare: Astro's order, route by route
    const paths = [
      path('/xep-hang/01-current-ward', ranking),
      path('/', home),
      path('/don-vi/003', viUnit),
      path('/don-vi/001', viUnit),
      path('/don-vi/003/feed.xml', viFeed),
      path('/don-vi/001/feed.xml', viFeed),
      path('/ket-luan/c-1', conclusion),
      path('/en/units/003', enUnit),
      path('/en/units/001', enUnit),
    ];

    // Act
    const ordered = renderOrder(paths, groups).map((p) => p.pathname);

    // Assess
    expect(ordered).toEqual([
      '/',
      '/ket-luan/c-1',
      '/don-vi/003',
      '/don-vi/003/feed.xml',
      '/en/units/003',
      '/don-vi/001',
      '/don-vi/001/feed.xml',
      '/en/units/001',
      '/xep-hang/01-current-ward',
    ]);
  });

  it('keeps every path, and leaves the order alone when no route names a group', () => {
    const paths = [path('/don-vi/2', viUnit), path('/', home), path('/don-vi/1', viUnit)];

    expect(renderOrder(paths, new Map())).toEqual(paths);
    expect(renderOrder(paths, groups)).toHaveLength(paths.length);
  });
});
