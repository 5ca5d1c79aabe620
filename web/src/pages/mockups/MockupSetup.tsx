// Mockup setup (billboard photos and frames) needs a database function that writes a company's
// mockup_frames; none exists yet, so the screen says so instead of pretending.
import { Alert } from '../../components/ui';

export function MockupSetup() {
  return (
    <section className="card" aria-labelledby="setup-title">
      <h2 id="setup-title">Billboard setup</h2>
      <Alert tone="info" title="Not available yet">
        Uploading billboard photos and drawing their frames will be possible here once the platform has an API to
        save frames to a company’s inventory. Until then, frames are managed by the inventory team.
      </Alert>
    </section>
  );
}
