package dev.slabworks.api.knobs;

/** A knob was named or set wrongly; the message says what was given and what is accepted. */
public class KnobException extends IllegalArgumentException {
    public KnobException(String message) {
        super(message);
    }
}
