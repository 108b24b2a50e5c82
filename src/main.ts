import { main } from './cli/main';
import { endBySignalsAfterCleanup } from './cli/signals';

endBySignalsAfterCleanup();
main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
