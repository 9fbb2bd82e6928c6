/**
 * papaparse, bundled: the build replaces this module's compiled file with papaparse's own browser
 * build (gulpfile.js, task build:papaparse), so the published package has no runtime dependency.
 * Run from source (tests, ts-node), it is the papaparse devDependency.
 */
export { parse, Parser } from 'papaparse';
