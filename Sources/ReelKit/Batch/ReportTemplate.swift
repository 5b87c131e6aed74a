/// The Mustache template of `OUTDIR/report.html`: one page, CSS inline, no script, nothing
/// fetched (thumbnails, outputs and logs are files beside it, linked relatively), so it
/// works offline and opened from disk.
enum ReportTemplate {
    static let html = #"""
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>reel batch — {{folder}}</title>
<style>
  :root { color-scheme: light; --ok: #1b7f3b; --bad: #b42318; --wait: #8a6d00; --muted: #667085; }
  * { box-sizing: border-box; }
  body { font: 14px/1.45 system-ui, "Noto Sans", "Noto Sans CJK SC", sans-serif; margin: 0; background: #f4f5f7; color: #1d2939; }
  header { background: #101828; color: #fff; padding: 16px 24px; }
  header h1 { font-size: 18px; margin: 0 0 4px; font-weight: 600; }
  header .meta { color: #d0d5dd; font-size: 12px; }
  .totals { display: flex; gap: 12px; padding: 16px 24px 0; flex-wrap: wrap; }
  .total { background: #fff; border-radius: 8px; padding: 10px 16px; min-width: 110px; box-shadow: 0 1px 2px rgba(16,24,40,.08); }
  .total b { display: block; font-size: 22px; }
  .total.done b { color: var(--ok); } .total.failed b { color: var(--bad); } .total.pending b { color: var(--wait); }
  table { border-collapse: separate; border-spacing: 0; margin: 16px 24px 24px; background: #fff; border-radius: 8px;
          box-shadow: 0 1px 2px rgba(16,24,40,.08); width: calc(100% - 48px); }
  th { text-align: left; font-size: 12px; color: var(--muted); font-weight: 600; padding: 8px 12px; border-bottom: 1px solid #eaecf0; }
  td { padding: 10px 12px; border-bottom: 1px solid #f2f4f7; vertical-align: top; }
  tr:last-child td { border-bottom: 0; }
  td.thumb { width: 96px; }
  td.thumb img { width: 72px; height: 128px; object-fit: cover; border-radius: 4px; background: #101828; display: block; }
  td.thumb .none { width: 72px; height: 128px; border-radius: 4px; background: #eaecf0; color: var(--muted); font-size: 11px;
                   display: flex; align-items: center; justify-content: center; text-align: center; }
  .name { font-weight: 600; word-break: break-all; }
  .status { display: inline-block; border-radius: 10px; padding: 1px 8px; font-size: 12px; font-weight: 600; }
  .status.done { background: #ecfdf3; color: var(--ok); }
  .status.failed { background: #fef3f2; color: var(--bad); }
  .status.pending, .status.running, .status.outdated { background: #fffaeb; color: var(--wait); }
  .detail { color: #344054; font-size: 12px; max-width: 520px; }
  .detail dt { color: var(--muted); float: left; clear: left; width: 72px; }
  .detail dd { margin: 0 0 2px 76px; }
  .error { color: var(--bad); font-size: 12px; white-space: pre-wrap; word-break: break-word; max-width: 520px; }
  a { color: #175cd3; }
</style>
</head>
<body>
<header>
  <h1>reel batch report</h1>
  <div class="meta">{{folder}} → {{outputFolder}} · updated {{generated}} · reel {{version}}</div>
</header>
<section class="totals">
  <div class="total"><b id="total-jobs">{{total}}</b>jobs</div>
  <div class="total done"><b id="total-done">{{done}}</b>done</div>
  <div class="total failed"><b id="total-failed">{{failed}}</b>failed</div>
  <div class="total pending"><b id="total-pending">{{pending}}</b>not done yet</div>
  <div class="total"><b>{{mediaTime}}</b>of video</div>
</section>
<table id="jobs">
  <thead><tr><th></th><th>job</th><th>status</th><th>duration</th><th>details</th><th>files</th></tr></thead>
  <tbody>
{{#jobs}}
  <tr class="job" data-job="{{name}}" data-status="{{status}}">
    <td class="thumb">{{#thumbnail}}<img src="{{thumbnail}}" alt="cover of {{name}}">{{/thumbnail}}{{^thumbnail}}<div class="none">no picture</div>{{/thumbnail}}</td>
    <td><div class="name">{{name}}</div><div class="detail">{{recording}}</div></td>
    <td><span class="status {{status}}">{{status}}</span>{{#seconds}}<div class="detail">{{seconds}} to render</div>{{/seconds}}</td>
    <td>{{#duration}}{{duration}}{{/duration}}{{^duration}}—{{/duration}}</td>
    <td>
      {{#error}}<div class="error">{{error}}</div>{{/error}}
      <dl class="detail">
        {{#crop}}<dt>crop</dt><dd>{{crop}}{{#cropReason}} — {{cropReason}}{{/cropReason}}</dd>{{/crop}}
        {{#hook}}<dt>hook</dt><dd>{{hook}}</dd>{{/hook}}
        {{#loudness}}<dt>loudness</dt><dd>{{loudness}}</dd>{{/loudness}}
        {{#worker}}<dt>worker</dt><dd>{{worker}}</dd>{{/worker}}
      </dl>
    </td>
    <td>{{#output}}<a href="{{output}}">video</a><br>{{/output}}{{#log}}<a href="{{log}}">log</a>{{/log}}</td>
  </tr>
{{/jobs}}
  </tbody>
</table>
</body>
</html>
"""#
}
