import { runFfmpeg } from '../libs/studio/src/ffmpeg-run';
const ac = new AbortController();
const args = ['-hide_banner','-nostdin','-y','-loglevel','error','-progress','pipe:1','-nostats','-f','lavfi','-i','testsrc=size=1920x1080:rate=30:duration=' + (process.argv[2] ?? '300'),'-c:v','libx264','-preset','veryfast','/tmp/sc/w.mp4'];
runFfmpeg(args, { cwd: '/tmp/sc', signal: ac.signal, onProgress: (s) => process.stdout.write(s.toFixed(1) + ' ') }).then(() => console.log('done'), (e) => console.log('ERR', e.message));
if (process.argv[3] === 'abort') setTimeout(() => ac.abort(new Error('aborted')), 3000);
