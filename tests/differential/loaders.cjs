// The JS loaders of the differential oracles (run.py): reads a JSON list of
// {"mode": "dotenv"|"json5", "path": FILE} on stdin and prints one result per
// entry.  dotenv: npm dotenv's parse() of the file's bytes, values as hex.
// json5: npm json5's parse() of the file read as UTF-8, as a tagged tree
// ({"s":…} {"n":…} {"b":…} {"z":null} {"o":[[k,v]…]} {"a":[…]}).
'use strict';
const fs = require('fs');
const path = require('path');
const dotenv = require(path.join(__dirname, 'node_modules', 'dotenv'));
const JSON5 = require(path.join(__dirname, 'node_modules', 'json5'));

function tag(v) {
	if (v === null) return { z: null };
	if (typeof v === 'boolean') return { b: String(v) };
	if (typeof v === 'number') return { n: Object.is(v, -0) ? '-0' : String(v) };
	if (typeof v === 'string') return { s: v };
	if (Array.isArray(v)) return { a: v.map(tag) };
	return { o: Object.keys(v).map((k) => [k, tag(v[k])]) };
}

const jobs = JSON.parse(fs.readFileSync(0, 'utf8'));
const out = jobs.map((j) => {
	try {
		if (j.mode === 'dotenv') {
			const o = dotenv.parse(fs.readFileSync(j.path));
			const r = {};
			for (const k of Object.keys(o)) r[k] = Buffer.from(o[k], 'utf8').toString('hex');
			return { vars: r };
		}
		return { tree: tag(JSON5.parse(fs.readFileSync(j.path, 'utf8'))) };
	} catch (e) {
		return { error: String(e && e.message ? e.message : e).split('\n')[0] };
	}
});
process.stdout.write(JSON.stringify(out));
