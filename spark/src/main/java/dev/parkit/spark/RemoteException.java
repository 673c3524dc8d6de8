package dev.parkit.spark;

/**
 * Stands in for an exception thrown on an executor that could not be sent back as itself (it or
 * something it holds is not serializable): same class name, message and stack trace, with the
 * cause stood in for the same way.
 */
public final class RemoteException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String className;

    /**
     * @param original the exception thrown on the executor
     */
    public RemoteException(Throwable original) {
        super(original.getClass().getName() + (original.getMessage() == null ? "" : ": " + original.getMessage()),
                original.getCause() == null ? null : new RemoteException(original.getCause()));
        this.className = original.getClass().getName();
        setStackTrace(original.getStackTrace());
    }

    /** @return the class name of the exception thrown on the executor */
    public String className() {
        return className;
    }
}
