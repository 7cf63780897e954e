// The same as ecosystem.config.json, as most PM2 users keep it: a plain literal loads as it is.
module.exports = {
  apps: [
    {
      name: 'web',
      script: 'java',
      args: ['-Xmx16m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-cp', 'target/classes',
             'io.tspm.examples.DemoHttpApp'],
      interpreter: 'none',
      instances: 2,
      env: { PORT: '18280' },
      increment_var: 'PORT',
      kill_timeout: 3000,
    },
    {
      name: 'worker',
      script: 'echo "worker: working"; sleep 3; exit 1',
      namespace: 'jobs',
      autorestart: true,
      restart_delay: 500,
    },
  ],
};
