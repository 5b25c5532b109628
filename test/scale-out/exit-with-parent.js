// Preloaded into the processes the scale-out spec starts: if the test runner dies without stopping them
// (a crash, kill -9), they go too instead of holding their ports, connections and Redis subscriptions.
if (process.channel) {
  process.on('disconnect', () => process.exit(1));
  process.channel.unref();
}
