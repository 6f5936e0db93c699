import { siteData } from './data.js';
import type { Lang } from './lang.js';
import { groups, listStaticPaths, servicePoints } from './site-map.js';

/**
 * The `getStaticPaths` of the routes, shared by the Vietnamese and English page files so both languages
 * always have the same pages.
 */

export const unitPaths = () => siteData().units.map((unit) => ({ params: { id: unit.id }, props: { unit } }));

export const conclusionPaths = () => siteData().conclusions.map((c) => ({ params: { id: c.id }, props: { id: c.id } }));

export const conclusionListPaths = (lang: Lang) => listStaticPaths(lang);

export const rankingPaths = () => groups().map((group) => ({ params: { group: group.key }, props: { group } }));

export const agencyPaths = () =>
  siteData().agencies.map((agency) => ({ params: { id: agency.id }, props: { agency } }));

export const surveyPaths = () => servicePoints().map((unit) => ({ params: { unit: unit.id }, props: { unit } }));
