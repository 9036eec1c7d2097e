using System.Text;
using DevSpaces.Core.Connect;
using DevSpaces.Tests.Support;
using DevSpaces.Tunnel.Takeover;
using k8s.Models;

namespace DevSpaces.Tests.Connect;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class MountMaterializerTests
{
    private FakeVolumeContent content = null!;
    private TempDirectory folder = null!;

    [SetUp]
    public void CreateFolder()
    {
        folder = new TempDirectory();
        content = new FakeVolumeContent();
        content.ConfigMaps["app-config"] = new V1ConfigMap
        {
            Data = new Dictionary<string, string> { ["app.json"] = """{"greeting":"hi"}""", ["level"] = "debug" },
            BinaryData = new Dictionary<string, byte[]> { ["logo.bin"] = [0, 1, 2, 255] },
        };
        content.Secrets["db"] = new V1Secret
        {
            Data = new Dictionary<string, byte[]> { ["password"] = Encoding.UTF8.GetBytes("s3cret"), ["user"] = Encoding.UTF8.GetBytes("app") },
        };
    }

    [TearDown]
    public void RemoveFolder() => folder.Dispose();

    private static TakeoverPlan Plan(IEnumerable<V1Volume> volumes, IEnumerable<V1VolumeMount> mounts)
    {
        var container = new V1Container { Name = "api", VolumeMounts = [.. mounts], Resources = new V1ResourceRequirements { Limits = new Dictionary<string, ResourceQuantity> { ["memory"] = new("64Mi") } } };
        return new TakeoverPlan(
            "dev",
            new V1Service { Metadata = new V1ObjectMeta { Name = "api" }, Spec = new V1ServiceSpec() },
            new Workload(
                TakeoverNames.DeploymentKind,
                new V1ObjectMeta { Name = "api" },
                1,
                new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "api", ["tier"] = "back" } },
                    Spec = new V1PodSpec { Volumes = [.. volumes], Containers = [container] },
                }),
            container,
            [new TakeoverPort("http", 80, 8080, "http")]);
    }

    private async Task<IReadOnlyList<LocalMount>> WriteAsync(TakeoverPlan plan, IReadOnlyDictionary<string, string>? env = null)
    {
        var (mounts, _) = await new MountMaterializer(content).WriteAsync(plan, folder.Path, env ?? new Dictionary<string, string>(), CancellationToken.None);
        return mounts;
    }

    private string Local(string containerPath) => Path.Combine(folder.Path, containerPath.TrimStart('/'));

    [Test]
    public async Task A_ConfigMap_Volume_Becomes_One_Owner_Only_File_Per_Key_At_The_Mount_Path()
    {
        var mounts = await WriteAsync(Plan(
            [new V1Volume { Name = "config", ConfigMap = new V1ConfigMapVolumeSource { Name = "app-config" } }],
            [new V1VolumeMount { Name = "config", MountPath = "/etc/app" }]));

        Assert.That(mounts.Single(), Is.EqualTo(new LocalMount("/etc/app", "config", "configMap", Local("/etc/app"))));
        Assert.That(await File.ReadAllTextAsync(Local("/etc/app/app.json")), Is.EqualTo("""{"greeting":"hi"}"""));
        Assert.That(await File.ReadAllTextAsync(Local("/etc/app/level")), Is.EqualTo("debug"));
        Assert.That(await File.ReadAllBytesAsync(Local("/etc/app/logo.bin")), Is.EqualTo(new byte[] { 0, 1, 2, 255 }));
        Assert.That(File.GetUnixFileMode(Local("/etc/app/level")), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite), "0644 becomes 0600");
        Assert.That(File.GetUnixFileMode(Local("/etc/app")), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
    }

    [Test]
    public async Task A_Secret_Volume_With_Items_And_A_SubPath_Gives_Just_That_File_With_The_Item_Mode()
    {
        var mounts = await WriteAsync(Plan(
            [new V1Volume { Name = "creds", Secret = new V1SecretVolumeSource { SecretName = "db", DefaultMode = 0x1A4, Items = [new V1KeyToPath { Key = "password", Path = "db/pass.txt", Mode = 0x100 }] } }],
            [new V1VolumeMount { Name = "creds", MountPath = "/run/secrets/db-password", SubPath = "db/pass.txt" }]));

        Assert.That(mounts.Single().LocalPath, Is.EqualTo(Local("/run/secrets/db-password")));
        Assert.That(await File.ReadAllTextAsync(Local("/run/secrets/db-password")), Is.EqualTo("s3cret"));
        Assert.That(File.GetUnixFileMode(Local("/run/secrets/db-password")), Is.EqualTo(UnixFileMode.UserRead), "mode 0400 of the item");
        Assert.That(Directory.GetFileSystemEntries(Local("/run/secrets")), Is.EqualTo(new[] { Local("/run/secrets/db-password") }), "the user key is not listed in items, so it is not there");
    }

    [Test]
    public async Task A_Projected_Volume_Combines_Its_Sources_And_Leaves_The_ServiceAccount_Token_Out()
    {
        var mounts = await WriteAsync(Plan(
            [new V1Volume
            {
                Name = "all",
                Projected = new V1ProjectedVolumeSource
                {
                    Sources =
                    [
                        new V1VolumeProjection { ConfigMap = new V1ConfigMapProjection { Name = "app-config", Items = [new V1KeyToPath { Key = "level", Path = "config/level" }] } },
                        new V1VolumeProjection { Secret = new V1SecretProjection { Name = "db", Items = [new V1KeyToPath { Key = "user", Path = "secret/user" }] } },
                        new V1VolumeProjection { DownwardAPI = new V1DownwardAPIProjection { Items = [new V1DownwardAPIVolumeFile { Path = "labels", FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.labels" } }, new V1DownwardAPIVolumeFile { Path = "mem", ResourceFieldRef = new V1ResourceFieldSelector { Resource = "limits.memory", Divisor = new ResourceQuantity("1Mi") } }] } },
                        new V1VolumeProjection { ServiceAccountToken = new V1ServiceAccountTokenProjection { Path = "token" } },
                    ],
                },
            }],
            [new V1VolumeMount { Name = "all", MountPath = "/var/run/all" }]));

        var mount = mounts.Single();
        Assert.That(mount.LocalPath, Is.EqualTo(Local("/var/run/all")));
        Assert.That(mount.Note, Does.Contain("serviceAccountToken 'token' is left out"));
        Assert.That(await File.ReadAllTextAsync(Local("/var/run/all/config/level")), Is.EqualTo("debug"));
        Assert.That(await File.ReadAllTextAsync(Local("/var/run/all/secret/user")), Is.EqualTo("app"));
        Assert.That(await File.ReadAllTextAsync(Local("/var/run/all/labels")), Is.EqualTo("app=\"api\"\ntier=\"back\""));
        Assert.That(await File.ReadAllTextAsync(Local("/var/run/all/mem")), Is.EqualTo("64"));
        Assert.That(File.Exists(Local("/var/run/all/token")), Is.False);
    }

    [Test]
    public async Task Missing_Sources_Follow_Optional_And_Storage_Volumes_Are_Listed_As_Not_Copied()
    {
        var (mounts, warnings) = await new MountMaterializer(content).WriteAsync(Plan(
            [
                new V1Volume { Name = "maybe", ConfigMap = new V1ConfigMapVolumeSource { Name = "absent", Optional = true } },
                new V1Volume { Name = "needed", Secret = new V1SecretVolumeSource { SecretName = "absent" } },
                new V1Volume { Name = "cache", EmptyDir = new V1EmptyDirVolumeSource() },
                new V1Volume { Name = "data", PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = "data" } },
                new V1Volume { Name = "node", HostPath = new V1HostPathVolumeSource { Path = "/var/log" } },
            ],
            [
                new V1VolumeMount { Name = "maybe", MountPath = "/etc/maybe" },
                new V1VolumeMount { Name = "needed", MountPath = "/etc/needed" },
                new V1VolumeMount { Name = "cache", MountPath = "/cache" },
                new V1VolumeMount { Name = "data", MountPath = "/data" },
                new V1VolumeMount { Name = "node", MountPath = "/host-logs" },
            ]), folder.Path, new Dictionary<string, string>(), CancellationToken.None);

        Assert.That(mounts.Select(m => (m.ContainerPath, m.Kind, Copied: m.LocalPath != null)), Is.EqualTo(new[]
        {
            ("/etc/maybe", "configMap", true),
            ("/etc/needed", "secret", false),
            ("/cache", "emptyDir", false),
            ("/data", "persistentVolumeClaim", false),
            ("/host-logs", "hostPath", false),
        }));
        Assert.That(Directory.GetFileSystemEntries(Local("/etc/maybe")), Is.Empty, "an optional source that is missing is an empty folder, as in the pod");
        Assert.That(Directory.Exists(Local("/cache")), Is.False);
        Assert.That(warnings, Has.Some.Contains("/etc/needed").And.Some.Contains("Secret 'absent' does not exist"));
        Assert.That(warnings, Has.Some.Contains("/cache (emptyDir volume 'cache') is not copied"));
        Assert.That(warnings.Count, Is.EqualTo(5), string.Join("\n", warnings));
    }

    [Test]
    public async Task A_Secret_This_User_May_Not_Read_Is_Listed_As_Not_Copied_And_The_Rest_Is_Copied()
    {
        content.ForbiddenSecrets.Add("db");
        var (mounts, warnings) = await new MountMaterializer(content).WriteAsync(Plan(
            [
                new V1Volume { Name = "creds", Secret = new V1SecretVolumeSource { SecretName = "db" } },
                new V1Volume { Name = "config", ConfigMap = new V1ConfigMapVolumeSource { Name = "app-config" } },
            ],
            [new V1VolumeMount { Name = "creds", MountPath = "/creds" }, new V1VolumeMount { Name = "config", MountPath = "/config" }]), folder.Path, new Dictionary<string, string>(), CancellationToken.None);

        Assert.That(mounts[0].LocalPath, Is.Null);
        Assert.That(mounts[0].Note, Does.Contain("may not get secrets 'db'"));
        Assert.That(mounts[1].LocalPath, Is.EqualTo(Local("/config")));
        Assert.That(warnings.Single(), Does.StartWith("/creds (secret volume 'creds') is not copied"));
    }

    [Test]
    public async Task A_SubPathExpr_Is_Expanded_From_The_Environment()
    {
        var mounts = await WriteAsync(
            Plan(
                [new V1Volume { Name = "config", ConfigMap = new V1ConfigMapVolumeSource { Name = "app-config" } }],
                [new V1VolumeMount { Name = "config", MountPath = "/etc/level.txt", SubPathExpr = "$(WHICH)" }]),
            new Dictionary<string, string> { ["WHICH"] = "level" });

        Assert.That(mounts.Single().LocalPath, Is.EqualTo(Local("/etc/level.txt")));
        Assert.That(await File.ReadAllTextAsync(Local("/etc/level.txt")), Is.EqualTo("debug"));
    }

    [TestCase("/etc/app/app.json", "{root}/etc/app/app.json")]
    [TestCase("/etc/app", "{root}/etc/app")]
    [TestCase("file:/etc/app/x,/etc/app/y", "file:{root}/etc/app/x,{root}/etc/app/y")]
    [TestCase("/etc/application", "/etc/application")]
    [TestCase("/opt/etc/app/x", "/opt/etc/app/x")]
    [TestCase("/etc/app/secret/key", "{secret}/key")]
    [TestCase("/cache/x", "/cache/x")]
    [TestCase("no paths here", "no paths here")]
    public void Values_Naming_A_Path_Inside_A_Copied_Mount_Point_At_The_Copy(string value, string expected)
    {
        const string root = "/tmp/m/s1";
        LocalMount[] mounts =
        [
            new("/etc/app", "config", "configMap", root + "/etc/app"),
            new("/etc/app/secret", "creds", "secret", "/elsewhere/secret"),
            new("/cache", "cache", "emptyDir", null, "not copied"),
        ];
        Assert.That(MountMaterializer.RewritePaths(value, mounts), Is.EqualTo(expected.Replace("{root}", root).Replace("{secret}", "/elsewhere/secret")));
    }

    [Test]
    public async Task Mount_Folders_Of_Sessions_Whose_Process_Is_Gone_Are_Deleted_And_Live_Ones_Stay()
    {
        var folders = new MountFolders(Path.Combine(folder.Path, "mounts"));
        var crashed = folders.Create("crashed1", await DeadProcess.IdentityAsync());
        await File.WriteAllTextAsync(Path.Combine(crashed, "secret"), "x");
        var live = folders.Create("live1", ProcessIdentity.Current());

        Assert.That(folders.DeleteStale(), Is.EqualTo(new[] { "crashed1" }));
        Assert.That(Directory.Exists(crashed), Is.False);
        Assert.That(Directory.Exists(live), Is.True);
        Assert.That(File.GetUnixFileMode(folders.BaseDirectory), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
        Assert.That(File.GetUnixFileMode(live), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));

        folders.Delete("live1");
        Assert.That(Directory.GetFileSystemEntries(folders.BaseDirectory), Is.Empty, "the folder and its owner file are gone");
    }
}
