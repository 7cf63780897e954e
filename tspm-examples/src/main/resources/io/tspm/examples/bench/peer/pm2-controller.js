// PM2's side of the peer benchmark: PM2's own programmatic API, connected once (which starts the
// daemon under PM2_HOME), driven by commands on stdin, one a line, each answered "ok" or "err why":
//   start FILE   start the apps of an ecosystem JSON file
//   delete NAME  stop and delete an app
// At EOF the daemon is killed (its apps with it) and this ends. Argument: PM2's package directory.
const pm2 = require(process.argv[2]);
const readline = require('readline');

function answer(err) {
  console.log(err ? 'err ' + String(err.message || err).replace(/\n/g, ' ') : 'ok');
}

pm2.connect(false, (err) => {
  if (err) {
    answer(err);
    process.exit(1);
  }
  answer(null);
  const rl = readline.createInterface({ input: process.stdin });
  rl.on('line', (line) => {
    const space = line.indexOf(' ');
    const cmd = space < 0 ? line : line.slice(0, space);
    const arg = space < 0 ? '' : line.slice(space + 1);
    if (cmd === 'start') {
      pm2.start(arg, (e) => answer(e));
    } else if (cmd === 'delete') {
      pm2.delete(arg, (e) => answer(e));
    } else {
      answer(new Error('unknown command ' + cmd + ' (expected start or delete)'));
    }
  });
  rl.on('close', () => {
    pm2.killDaemon(() => {
      pm2.disconnect();
      process.exit(0);
    });
  });
});
