// Run by pkg.cjs on the pinned Node 22 (pkg refuses older ones): one target through @yao-pkg/pkg's SEA pipeline.
// pkg's CLI cannot put assets into the SEA blob (its simple --sea mode passes no sea-config of ours, and its
// package.json mode adds a ~400 KB VFS bootstrap parsed on every start), so this calls the same sea() function
// the CLI calls, with the asset map added to pkg's sea-config. The pinned pkg version keeps that module path.
const sea = require('@yao-pkg/pkg/lib-es5/sea.js').default;

const { main, assets, output, target } = JSON.parse(process.argv[2]);
sea(main, {
  targets: [{ ...target, output }],
  // darwin binaries are signed by macho-sign.cjs afterwards: pkg would need codesign or ldid.
  signature: false,
  seaConfig: { disableExperimentalSEAWarning: true, useSnapshot: false, useCodeCache: false, assets },
}).catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
