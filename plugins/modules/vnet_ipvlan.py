#!/usr/bin/python
from ansible_collections.linux.vnet.plugins.module_utils._vnet_kind_ipvlan import Ipvlan
from ansible_collections.linux.vnet.plugins.module_utils._vnet_module import run_module
def main():
    run_module(Ipvlan())
if __name__ == '__main__':
    main()
