// Job "publish": the previous month's note as HTML, Markdown and JSON in HASHPULSE_PUBLISH_DIR once its data is
// complete (or HASHPULSE_PUBLISH_AFTER_DAYS after the month, gaps named); a new revision when its figures change.
import type { JobDefinition } from '../src/pipeline/job.js';

export const publish: JobDefinition = {
  name: 'publish',
  description:
    "the finished month's note (HTML, Markdown, JSON) in the notes folder once its data is complete; revisions when figures change",
  // 06:00 UTC: after the network job (01:30) has loaded the month's last day; Friday's closes came at 22:30.
  schedule: '0 6 * * *',
  maxAgeHours: 26,
  run: async (ctx, params) => (await import('../src/publish/publish.js')).publishNotes(ctx, params),
};
