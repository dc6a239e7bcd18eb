package dev.jpull.containerd;

import dev.jpull.DestinationException;

/**
 * jpull cannot use the containerd it was pointed at: no socket there, permission denied, something that is not
 * containerd (or one too old, without a service jpull needs), an invalid namespace, or containerd stopped
 * answering. The message names the socket and what to do; nothing about the image or the endpoints is at fault,
 * so the CLI exits 2. A containerd that answers but refuses what a pull gives it is a
 * {@link ContainerdRefusedException}.
 */
public class ContainerdException extends DestinationException {
    public ContainerdException(String message) {
        super(message);
    }

    public ContainerdException(String message, Throwable cause) {
        super(message, cause);
    }
}
