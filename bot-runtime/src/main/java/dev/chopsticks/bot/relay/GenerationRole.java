package dev.chopsticks.bot.relay;

/**
 * Where this process's shard generation stands, as far as its sessions go ({@code lifecycle.ActiveGeneration} in
 * Kubernetes). A make-before-break rollout runs the successor as a new generation with the same layout: it may take
 * a saved session over only once active, and the retiring one must neither save nor resume its sessions again, or
 * the two would take a session from each other.
 */
public interface GenerationRole {
    /** One process, one generation: always active. */
    GenerationRole ALWAYS_ACTIVE = new GenerationRole() {
        @Override
        public boolean active() {
            return true;
        }

        @Override
        public boolean retiring() {
            return false;
        }

        @Override
        public boolean handsOver() {
            return false;
        }

        @Override
        public void onChange(Runnable listener) {}
    };

    /** This generation handles events: it may take a saved session over. */
    boolean active();

    /** A newer generation is active: this one's sessions are no longer its own to save or to resume. */
    boolean retiring();

    /** The active generation resumes this one's sessions (a session hand-off): drop them now. */
    boolean handsOver();

    /** Called after every change of the above. */
    void onChange(Runnable listener);
}
