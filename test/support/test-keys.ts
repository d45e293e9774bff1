/**
 * Catalogue keys of the test-only features (the adapters' "demo" and the drivers' "probe"). The
 * type check knows every product key from the catalogues (src/core/i18n.ts, MessageCatalogue);
 * these exist only in the tests' own catalogues, so they are declared here.
 */
declare module '../../src/core/i18n.ts' {
  interface MessageCatalogue {
    'demo.arg': true;
    'demo.cmd.echo': true;
    'demo.cmd.form': true;
    'probe.cmd': true;
    'probe.s': true;
    'core.help.group.demo': true;
    'core.help.group.probe': true;
  }
}

export {};
