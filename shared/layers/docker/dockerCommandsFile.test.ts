import { describe, expect, it } from 'vitest';
import { DOCKER_COMMANDS_TEMPLATE, parseDockerCommands } from './dockerCommandsFile.ts';

const problems = (text: string) => parseDockerCommands(text).problems.map((p) => `${p.line}:${p.column}: ${p.message}`);

describe('Docker commands file', () => {
  it('reads network create with subnet, gateway, internal and the bridge options', () => {
    const { commands, problems: errs } = parseDockerCommands(
      '# compose, spelled out\ndocker network create --subnet=172.30.0.0/24 --gateway 172.30.0.254 --internal -o com.docker.network.bridge.name=web0 -o com.docker.network.bridge.enable_icc=false --opt com.docker.network.bridge.enable_ip_masquerade=false web\n',
    );
    expect(errs).toEqual([]);
    expect(commands).toMatchObject([{ kind: 'network-create', name: 'web', subnet: '172.30.0.0/24', gateway: '172.30.0.254', internal: true, bridgeName: 'web0', icc: false, masquerade: false, line: 2 }]);
  });

  it('reads docker run: name, network, ip, every published port form; ignores what does not touch the firewall', () => {
    const { commands, problems: errs } = parseDockerCommands("docker run -d --rm --name app --network=web --ip 172.30.0.10 -e A=1 -p 8080:80 -p 127.0.0.1:8081:81/udp --publish=0.0.0.0:53:53/udp -p9000:90 nginx:1.27 nginx -g 'daemon off;'");
    expect(errs).toEqual([]);
    expect(commands).toEqual([
      {
        kind: 'run', name: 'app', network: 'web', ip: '172.30.0.10', line: 1, text: expect.any(String),
        ports: [
          { hostIp: '', hostPort: 8080, containerPort: 80, proto: 'tcp' },
          { hostIp: '127.0.0.1', hostPort: 8081, containerPort: 81, proto: 'udp' },
          { hostIp: '', hostPort: 53, containerPort: 53, proto: 'udp' },
          { hostIp: '', hostPort: 9000, containerPort: 90, proto: 'tcp' },
        ],
      },
    ]);
    expect(parseDockerCommands('docker container run -d busybox').commands).toMatchObject([{ kind: 'run', network: 'bridge', ports: [] }]);
  });

  it('reports what it does not model at the offending word, never ignores it', () => {
    expect(problems('docker network create --ipv6 n1')).toEqual(['1:23: docker network create option --ipv6 is not modelled']);
    expect(problems('docker network create -d macvlan n1')).toEqual(['1:26: driver macvlan is not modelled (only bridge networks)']);
    expect(problems('docker network create -o com.docker.network.driver.mtu=1400 n1')).toEqual(['1:26: network option com.docker.network.driver.mtu is not modelled']);
    expect(problems('docker run -d -p 80 nginx')).toEqual(['1:18: -p 80: a host port Docker picks at random is not modelled; give HOSTPORT:CONTAINERPORT']);
    expect(problems('docker run -d -p 8000-8001:80-81 nginx')).toEqual(['1:18: -p 8000-8001:80-81: port ranges are not modelled']);
    expect(problems('docker run -P nginx')).toEqual(['1:12: -P: publishing every exposed port on random host ports is not modelled']);
    expect(problems('docker run --network-alias x nginx')).toEqual(['1:12: docker run option --network-alias is not modelled']);
    expect(problems('\n  docker compose up -d')).toEqual(['2:10: docker compose is not modelled (only network create and run)']);
    expect(problems('iptables -F')).toEqual(['1:1: "iptables": only docker commands are read from this file (not modelled)']);
    expect(problems('docker network rm n1')).toEqual(['1:16: docker network rm is not modelled (only network create)']);
    expect(problems('docker run -d \\\n  -p 8080:80 nginx')).toEqual(['1:15: a command continued on the next line (\\) is not read: write each docker command on one line', '2:3: "-p": only docker commands are read from this file (not modelled)']);
  });

  it('checks values as docker does', () => {
    expect(problems('docker network create --subnet 172.30.0.0/33 n1')).toEqual(['1:32: --subnet 172.30.0.0/33: an IPv4 subnet like 172.30.0.0/24 is expected (IPv6 networks are not modelled)']);
    expect(problems('docker network create --gateway 10.0.0.1 n1')).toEqual(['1:23: --gateway needs --subnet (as docker network create says)']);
    expect(problems('docker network create -o com.docker.network.bridge.enable_icc=no n1')).toEqual(['1:26: com.docker.network.bridge.enable_icc must be true or false, not "no"']);
    expect(problems('docker network create a b')).toEqual(['1:25: one network name expected, 2 given']);
    expect(problems('docker network create bridge')).toEqual(['1:23: network bridge exists already (a predefined network)']);
    expect(problems('docker run -p 8080:99999 nginx')).toEqual(['1:15: -p 8080:99999: ports must be numbers 1-65535']);
    expect(problems('docker run -d --name')).toEqual(['1:15: --name needs a value']);
    expect(problems('docker run -d')).toEqual(['1:14: docker run needs an image']);
  });

  it('the template parses without problems', () => {
    expect(parseDockerCommands(DOCKER_COMMANDS_TEMPLATE).problems).toEqual([]);
  });
});
