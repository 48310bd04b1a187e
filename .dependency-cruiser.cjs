/**
 * The dependency rules of src/ (docs/architecture.md draws them). `npm run check:deps` runs them;
 * `npm test` runs that first. Layers, top to bottom; each may import only layers below it:
 *
 *   cli → app → producers | workers | dashboard → queues | reports → shared/domain → shared/upstream → shared/platform
 *
 * config is read by cli and app only (everything else receives values); the sandbox uses only the
 * shared tiers and only the cli starts it; a shared tier is entered through its index.ts.
 */
const LAYERS = [
  { name: 'cli', path: '^src/cli/' },
  { name: 'app', path: '^src/app/' },
  { name: 'producers', path: '^src/producers/' },
  { name: 'workers', path: '^src/workers/' },
  { name: 'dashboard', path: '^src/dashboard/' },
  { name: 'queues', path: '^src/queues/' },
  { name: 'reports', path: '^src/reports/' },
  { name: 'domain', path: '^src/shared/domain/' },
  { name: 'upstream', path: '^src/shared/upstream/' },
  { name: 'platform', path: '^src/shared/platform/' },
];
/** Rank of each layer: a module may import only strictly lower ranks (siblings share a rank). */
const RANK = { cli: 7, app: 6, producers: 5, workers: 5, dashboard: 5, queues: 4, reports: 4, domain: 3, upstream: 2, platform: 1 };

const upward = LAYERS.map((from) => ({
  name: `no-upward-from-${from.name}`,
  comment: `${from.name} may import only layers below it (see the picture in docs/architecture.md)`,
  severity: 'error',
  from: { path: from.path },
  to: { path: LAYERS.filter((to) => to.name !== from.name && RANK[to.name] >= RANK[from.name]).map((to) => to.path) },
})).filter((rule) => rule.to.path.length > 0); // the top layer has nothing above it

const tierIndexOnly = ['platform', 'upstream', 'domain'].map((tier) => ({
  name: `only-through-${tier}-index`,
  comment: `outside src/shared/${tier}, import it through src/shared/${tier}/index.ts (its public surface)`,
  severity: 'error',
  from: { pathNot: `^src/shared/${tier}/` },
  to: { path: `^src/shared/${tier}/`, pathNot: `^src/shared/${tier}/index\\.ts$` },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'no import cycles at all, type-only imports included',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...upward,
    ...tierIndexOnly,
    {
      name: 'config-only-from-cli-and-app',
      comment: 'only the entry points and the composition root read the config; everything else receives values',
      severity: 'error',
      from: { pathNot: ['^src/(cli|app|config)/'] },
      to: { path: '^src/config/' },
    },
    {
      name: 'config-imports-only-platform',
      comment: 'the config schema builds on zod and shared/platform only',
      severity: 'error',
      from: { path: '^src/config/' },
      to: { path: '^src/', pathNot: ['^src/config/', '^src/shared/platform/'] },
    },
    {
      name: 'app-only-from-cli',
      comment: 'the composition root is imported by the entry points only (and test helpers, outside src)',
      severity: 'error',
      from: { pathNot: ['^src/(cli|app)/'] },
      to: { path: '^src/app/' },
    },
    {
      name: 'sandbox-imports-only-shared',
      comment: 'the sandbox is a stand-in for the outside world: it may use the shared tiers, nothing of the fleet itself',
      severity: 'error',
      from: { path: '^src/sandbox/' },
      to: { path: '^src/', pathNot: ['^src/sandbox/', '^src/shared/'] },
    },
    {
      name: 'sandbox-only-from-cli',
      comment: 'only the cli starts the sandbox (tests and benchmarks, outside src, may too)',
      severity: 'error',
      from: { pathNot: ['^src/(cli|sandbox)/'] },
      to: { path: '^src/sandbox/' },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'every import resolves (a moved file left behind would otherwise pass silently)',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.json$' },
    // Type-only imports count: a cycle through `import type` is still a cycle in the design.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // Packages that resolve through their package.json `exports` (gpt-tokenizer/encoding/…).
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'], exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
