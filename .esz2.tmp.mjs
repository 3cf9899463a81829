import { build } from 'esbuild';
const r = await build({ stdin: { contents: process.argv[2], resolveDir: process.cwd(), loader: 'ts' }, bundle: true, minify: true, format: 'esm', platform: 'browser', target: 'es2020', write: false });
console.log(r.outputFiles[0].text);
