// Layer rules (docs/ARCHITECTURE.md, "Layers"), checked by `npm run check` with dependency-cruiser.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'api-is-self-contained',
      comment: 'The REST client knows nothing of the CLI: src/api/ imports only src/api/ (and packages).',
      severity: 'error',
      from: { path: '^src/api/' },
      to: { path: '^src/', pathNot: '^src/api/' },
    },
    {
      name: 'sandbox-is-self-contained',
      comment: 'The sandbox portal ships on its own: src/sandbox/ imports only src/sandbox/ and the wire formats in src/wire/.',
      severity: 'error',
      from: { path: '^src/sandbox/' },
      to: { path: '^src/', pathNot: '^src/(sandbox|wire)/' },
    },
    {
      name: 'wire-is-a-leaf',
      comment: 'src/wire/ (PHP form encoding, the delivery body) is shared by the sandbox and the CLI: it imports nothing of the project.',
      severity: 'error',
      from: { path: '^src/wire/' },
      to: { path: '^src/', pathNot: '^src/wire/' },
    },
    {
      name: 'libraries-below-the-cli',
      comment: 'offline/, manifest/, config/, auth/, bindings/ and delivery/ are libraries: no commands, no CLI context, no program.',
      severity: 'error',
      from: { path: '^src/(offline|manifest|config|auth|bindings|delivery)/' },
      to: { path: '^src/(commands/|context\\.ts$|cli\\.ts$|run\\.ts$|bin\\.ts$)' },
    },
    {
      name: 'no-cross-command-imports',
      comment: 'A command never imports another command; shared pieces live in src/commands/shared/.',
      severity: 'error',
      from: { path: '^src/commands/([^/]+)/' },
      to: { path: '^src/commands/[^/]+/', pathNot: ['^src/commands/shared/', '^src/commands/$1/'] },
    },
    {
      name: 'only-the-shell-runs',
      comment: 'bin.ts is the process shell; nothing in src imports it, and only it imports run.ts.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/bin\\.ts$' },
      to: { path: '^src/(bin|run)\\.ts$' },
    },
    {
      name: 'no-circular',
      comment: "No import cycles (a type-only import back, e.g. of a command's options type, is not one).",
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // Lazy `import()` counts: a command loaded on demand is still a dependency.
    exoticRequireStrings: [],
  },
};
