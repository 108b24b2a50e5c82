import * as path from 'node:path';

const { checkReleaseTools, requiredTools } = require(path.resolve(__dirname, '../../scripts/lib/release-tools.cjs')) as {
  checkReleaseTools(available?: (tool: string) => boolean): void;
  requiredTools(): Array<{ tool: string; why: string; install: string }>;
};

describe('npm run release checks its tools before building anything', () => {
  test('every strip a linux target needs is on the list, with its Debian package', () => {
    const tools = requiredTools().map((t) => [t.tool, t.install]);
    expect(tools).toContainEqual(['aarch64-linux-gnu-strip', 'apt-get install binutils-aarch64-linux-gnu']);
    expect(tools).toContainEqual(['x86_64-linux-gnu-strip', 'apt-get install binutils-x86-64-linux-gnu']);
  });

  test('one message names every missing tool and how to install it', () => {
    const missing = new Set(['aarch64-linux-gnu-strip', 'tar']);
    expect(() => checkReleaseTools((tool) => !missing.has(tool))).toThrow(
      /nothing was built:\n {2}tar .*\n {2}aarch64-linux-gnu-strip \(strips the linux-arm64 Node binary\): apt-get install binutils-aarch64-linux-gnu$/,
    );
  });

  test('with every tool there, it passes', () => {
    expect(() => checkReleaseTools(() => true)).not.toThrow();
  });
});
