/**
 * The map of Indgang's layers, checked by dependency-cruiser (`npm run layers`, and CI before the
 * tests). Imports point down only:
 *
 *   tests/                          may import anything
 *   bench/  scripts/                tools: may import the service and the local stack
 *   local/                          the embedded local stack (npm start): runs functions/ on emulators
 *   infra/                          the CDK app: deploys functions/
 *   functions/                      Lambda entries, HTTP apps, workers, what they share (commons/)
 *   shared/                         the domain: cases, rules, routing, intake, notices, resources
 *
 * Type-only imports count (a type import is still a dependency a reader must follow, and the only
 * loops the codebase had were type imports), and the `#shared/…` style aliases of package.json
 * "imports" are resolved like relative paths (`not-to-unresolvable` fails if one is not).
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "shared-imports-no-layer-above",
      comment:
        "shared/ is the domain every layer builds on: it imports nothing from functions/, local/, infra/, " +
        "bench/, scripts/ or tests/ (what it needs from them is passed in, e.g. a Log or a MailSender).",
      severity: "error",
      from: { path: "^shared/" },
      to: { path: "^(functions|local|infra|bench|scripts|tests)/" },
    },
    {
      name: "functions-import-no-dev-or-deploy-code",
      comment:
        "functions/ is what runs on Lambda: nothing from the local stack (dev-only code lives in local/), " +
        "the CDK app, the benchmark, the scripts or the tests, so none of it can reach a bundle.",
      severity: "error",
      from: { path: "^functions/" },
      to: { path: "^(local|infra|bench|scripts|tests)/" },
    },
    {
      name: "infra-imports-no-dev-code",
      comment:
        "infra/ (cdk synth, and on AWS the deployed stack) does not depend on the local stack, the " +
        "benchmark, the scripts or the tests.",
      severity: "error",
      from: { path: "^infra/" },
      to: { path: "^(local|bench|scripts|tests)/" },
    },
    {
      name: "only-tests-import-tests",
      comment: "tests/ (fakes, fixtures' readers, helpers) is for the tests alone.",
      severity: "error",
      from: { pathNot: "^tests/" },
      to: { path: "^tests/" },
    },
    {
      name: "no-circular",
      comment:
        "No import loops, type-only imports included: a loop means two files that cannot be read, " +
        "moved or tested apart. Move what both need into a module of its own.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "no-orphans",
      comment:
        "A source file nothing imports is dead, or an entry point: entries are named here (Lambda " +
        "entries are referenced by path from infra/stack.ts, not imported).",
      severity: "error",
      from: {
        orphan: true,
        pathNot: [
          "\\.d\\.ts$",
          "^functions/[^/]+\\.ts$", // Lambda entries (infra/stack.ts FUNCTIONS)
          "^infra/app\\.ts$", // cdk.json
          "^local/start\\.ts$", // npm start
          "^bench/run\\.ts$", // npm run bench (its sections are imported dynamically)
          "^bench/load\\.ts$", // forked by bench/e2e.ts
          "^scripts/[^/]+\\.ts$", // npm run triage, npm run openapi
          "\\.test\\.tsx?$",
          "\\.e2e\\.ts$",
        ],
      },
      to: {},
    },
    {
      name: "not-to-unresolvable",
      comment:
        "Every import resolves to a file or a package: an alias the cruiser could not follow would " +
        "make the rules above check nothing.",
      severity: "error",
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // Packages are leaves (not followed). No `includeOnly`: it would also drop an import that does not
    // resolve, the one thing `not-to-unresolvable` is there to catch.
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".tsx", ".js", ".mjs", ".cjs", ".json", ".d.ts"],
      mainFields: ["module", "main", "types", "typings"],
    },
    skipAnalysisNotInRules: true,
  },
};
