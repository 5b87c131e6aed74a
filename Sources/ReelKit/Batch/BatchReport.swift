import Foundation
public enum BatchReport {
    public static func write(runner: BatchRunner) throws {}
}
