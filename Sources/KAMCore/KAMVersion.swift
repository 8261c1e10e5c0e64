public enum KAMVersion { public static let string = "0.1.0" }
