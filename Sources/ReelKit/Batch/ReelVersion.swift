/// reel's version: part of every batch manifest, so a new reel re-renders a batch's outputs.
public enum ReelVersion {
    public static let string = "0.14.0"
}
