/** Sample data of the sandbox project; tests import from here to compute expected answers. */
export * from './catalog';
export * from './reports';
export * from './segments';
