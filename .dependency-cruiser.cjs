/**
 * The boundaries of ARCHITECTURE.md, checked in CI (`npm run deps:check`).
 * Domains talk through contracts/ (events, ports) or HTTP, never through each other's code.
 */
module.exports = {
  forbidden: [
    {
      name: 'domain-imports-other-domain',
      comment: 'A domain never imports another domain: use events (contracts/) or its HTTP API.',
      severity: 'error',
      from: { path: '^domains/([^/]+)/' },
      to: { path: '^domains/', pathNot: '^domains/$1/' },
    },
    {
      name: 'domain-imports-adapters',
      comment: 'Domains depend on ports in contracts/, never on infra/, gateway/ or projections/.',
      severity: 'error',
      from: { path: '^domains/' },
      to: { path: '^(infra|gateway|projections)/' },
    },
    {
      name: 'shared-imports-domain',
      comment: 'contracts/ and dsl/ are shared by everyone and import no domain or adapter.',
      severity: 'error',
      from: { path: '^(contracts|dsl)/' },
      to: { path: '^(domains|infra|gateway|projections)/' },
    },
    {
      name: 'client-imports-platform-code',
      comment:
        'clients/ is what callers of the HTTP API use: its generated types and openapi-fetch, ' +
        'never the platform code behind the API.',
      severity: 'error',
      from: { path: '^clients/' },
      to: { path: '^(contracts|dsl|domains|projections|gateway|infra|test|load-tests)/' },
    },
    {
      name: 'production-imports-tests',
      comment: 'Production code never imports test support.',
      severity: 'error',
      from: {
        path: '^(clients|contracts|dsl|domains|projections|gateway|infra)/',
        pathNot: '\\.spec\\.ts$',
      },
      to: { path: '(^test/|\\.spec\\.ts$)' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
