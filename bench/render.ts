/**
 * Renders a results file written by `npm run bench -- --json FILE` into
 * the docs: an SVG bar chart, and the Markdown tables between the markers
 * `<!-- results:start -->` and `<!-- results:end -->` of the page. It reads
 * and writes local files only.
 *
 * Usage: node dist/bench/render.js RESULTS.json docs/benchmarks.md docs/benchmarks.svg
 */

import { readFileSync, writeFileSync } from 'node:fs';
import { formatNumber } from './harness/runner.js';
import { ratioText, referenceMedian } from './harness/table.js';
import type { BenchReport, CaseResult, ScenarioResult } from './harness/types.js';

const startMarker = '<!-- results:start -->';
const endMarker = '<!-- results:end -->';

// ---- Markdown -------------------------------------------------------------------

function markdownCase(benchCase: CaseResult): string[] {
  const direction = benchCase.metric.better === 'higher' ? 'higher is better' : 'lower is better';
  const rhodium = referenceMedian(benchCase, 'rhodium');
  const bare = referenceMedian(benchCase, 'baseline');
  const lines = [
    `**${benchCase.label}** (median ${benchCase.metric.unit}, ${direction}; ${benchCase.rounds} rounds after ${benchCase.warmupRounds} warm-up)`,
    '',
    '| system | median | min - max | vs rhodium | vs bare |',
    '| --- | ---: | ---: | ---: | ---: |',
  ];
  for (const system of benchCase.systems) {
    if (system.status === 'measured') {
      lines.push(
        `| ${system.name} | ${formatNumber(system.median)} | ${formatNumber(system.min)} - ${formatNumber(system.max)} | ${ratioText(system, rhodium)} | ${ratioText(system, bare)} |`,
      );
    } else {
      lines.push(`| ${system.name} | ${system.status === 'failed' ? 'FAILED' : 'n/a'}: ${system.reason} | | | |`);
    }
  }
  lines.push('');
  return lines;
}

function markdownScenario(result: ScenarioResult): string[] {
  return [`### ${result.title}`, '', result.description, '', ...result.cases.flatMap(markdownCase)];
}

function markdownTargets(report: BenchReport): string[] {
  const lines = ['### Targets', '', '| target | verdict | measured |', '| --- | --- | --- |'];
  for (const result of report.scenarios) {
    for (const target of result.targets) {
      let verdict = 'no data';
      if (target.met !== undefined) verdict = target.met ? 'met' : '**missed**';
      lines.push(`| ${target.description} | ${verdict} | ${target.measured} |`);
    }
  }
  lines.push('');
  return lines;
}

function markdownResults(report: BenchReport): string {
  const machine = report.machine;
  const versions = Object.entries(report.versions).map(([name, version]) => `${name} ${version}`).join(', ');
  return [
    `Measured ${report.startedAt.slice(0, 10)} with \`${report.command}\` (${report.mode} mode, ${(report.durationMs / 60_000).toFixed(1)} minutes) on ` +
      `${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node.js ${machine.node} (V8 ${machine.v8}), ${machine.os}. ` +
      `Packages: ${versions}.`,
    '',
    ...markdownTargets(report),
    ...report.scenarios.flatMap(markdownScenario),
  ].join('\n');
}

// ---- SVG --------------------------------------------------------------------------

const width = 960;
const labelWidth = 330;
const barWidth = 500;
const rowHeight = 18;
const colors = { rhodium: '#b03a2e', baseline: '#7f8c8d', peer: '#2e6da4' } as const;

function escapeXml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

/** Draws one case as a panel: a horizontal bar per system, linear in the case's unit, with the value printed. */
function svgPanel(result: ScenarioResult, benchCase: CaseResult, top: number): { svg: string[]; height: number } {
  const direction = benchCase.metric.better === 'higher' ? 'higher is better' : 'lower is better';
  const svg = [
    `<text x="10" y="${top + 14}" font-weight="bold">${escapeXml(`${result.title}: ${benchCase.label}`)}</text>`,
    `<text x="10" y="${top + 30}" fill="#555">${escapeXml(`median ${benchCase.metric.unit}, ${direction}`)}</text>`,
  ];
  const max = Math.max(...benchCase.systems.map((s) => (s.status === 'measured' ? s.median : 0)), Number.MIN_VALUE);
  let y = top + 40;
  for (const system of benchCase.systems) {
    svg.push(`<text x="${labelWidth - 8}" y="${y + 13}" text-anchor="end">${escapeXml(system.name)}</text>`);
    if (system.status === 'measured') {
      const length = Math.max(1, (system.median / max) * barWidth);
      svg.push(
        `<rect x="${labelWidth}" y="${y + 2}" width="${length.toFixed(1)}" height="${rowHeight - 4}" fill="${colors[system.kind]}"/>`,
        `<text x="${(labelWidth + length + 6).toFixed(1)}" y="${y + 13}">${escapeXml(formatNumber(system.median))}</text>`,
      );
    } else {
      svg.push(`<text x="${labelWidth}" y="${y + 13}" fill="#888">${system.status === 'failed' ? 'failed' : 'n/a'}</text>`);
    }
    y += rowHeight;
  }
  return { svg, height: y - top + 16 };
}

function svgChart(report: BenchReport): string {
  const body: string[] = [];
  let top = 40;
  for (const result of report.scenarios) {
    for (const benchCase of result.cases) {
      const panel = svgPanel(result, benchCase, top);
      body.push(...panel.svg);
      top += panel.height;
    }
  }
  const legend = [
    `<text x="10" y="22" font-weight="bold">rhodium benchmarks, ${escapeXml(report.machine.cpuModel)}, ${report.machine.cores} cores, Node.js ${escapeXml(report.machine.node)}</text>`,
    `<rect x="660" y="10" width="12" height="12" fill="${colors.rhodium}"/><text x="676" y="21">rhodium</text>`,
    `<rect x="750" y="10" width="12" height="12" fill="${colors.baseline}"/><text x="766" y="21">bare baseline</text>`,
    `<rect x="870" y="10" width="12" height="12" fill="${colors.peer}"/><text x="886" y="21">peer</text>`,
  ];
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${top}" viewBox="0 0 ${width} ${top}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${top}" fill="#ffffff"/>`,
    ...legend,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}

// ---- Entry point ------------------------------------------------------------------

function main(): number {
  const [resultsFile, pageFile, chartFile] = process.argv.slice(2);
  if (resultsFile === undefined || pageFile === undefined || chartFile === undefined) {
    process.stderr.write('Usage: node dist/bench/render.js RESULTS.json PAGE.md CHART.svg\n');
    return 2;
  }
  const report = JSON.parse(readFileSync(resultsFile, 'utf8')) as BenchReport;

  const page = readFileSync(pageFile, 'utf8');
  const start = page.indexOf(startMarker);
  const end = page.indexOf(endMarker);
  if (start === -1 || end < start) {
    process.stderr.write(`${pageFile} has no ${startMarker} ... ${endMarker} section to replace\n`);
    return 1;
  }
  const rendered = `${page.slice(0, start + startMarker.length)}\n${markdownResults(report)}\n${page.slice(end)}`;
  writeFileSync(pageFile, rendered);
  writeFileSync(chartFile, svgChart(report));
  process.stderr.write(`Wrote ${pageFile} and ${chartFile}\n`);
  return 0;
}

process.exitCode = main();
